"""Qt-free engine: requests, validation, the bundled hook, remote calls and Okta's verdict."""
