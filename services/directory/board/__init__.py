"""The information platform's job board (R-PLATFORM (2)-(4)): employers' demand postings and project matchmaking events."""
