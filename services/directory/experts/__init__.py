"""The expert database (R-PLATFORM (1)): listings from selections and registrations, who reads which record and its
restricted fields, job-seeking profiles, and the breaches that mark benefits revoked (R-SUPERVISE)."""
