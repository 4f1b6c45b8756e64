"""The platform's five services; none imports another (an import-linter contract holds it)."""
