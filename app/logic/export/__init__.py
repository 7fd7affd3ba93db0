"""Exports for other tools: the hook's configuration for Okta's API and for Terraform."""
