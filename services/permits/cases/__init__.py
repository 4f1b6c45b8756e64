"""Green-channel cases (R-GREEN, Art. 10(2)): opened on an approval, with a service-level target in working days."""
