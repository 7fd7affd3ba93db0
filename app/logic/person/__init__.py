"""The person's side of a registration: the Sign-In Widget's texts, its own form rules, what the
page shows for an exchange, and the guide's four-step walkthrough. Plain Python, no Qt."""
