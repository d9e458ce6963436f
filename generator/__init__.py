"""briefgen: decision briefs that compare ML workflow frameworks against a project profile."""

__version__ = "0.1.0"
