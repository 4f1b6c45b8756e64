"""Local stand-ins for the platform's outside partners, for development and tests (never imported by services or shared)."""
