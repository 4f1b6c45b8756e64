"""The directory's employers and catalogue as intake keeps them, from the directory's events (R-APPLY,
R-CATALOGUE): applications route by the employer's district and cite a catalogue entry."""
