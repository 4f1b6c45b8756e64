"""The common library of the platform's services: contracts, plumbing, and conventions."""
