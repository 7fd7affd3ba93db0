"""A live Okta org: its users and user schema, its registration hooks, Preview through Okta
(`/execute`), and the calls the System Log records.

`config` finds the org and credential where Okta's SDKs look; `client` makes the calls (auth,
errors, rate limits, pages); `operations` reads users, schema and hooks; `preview` sends a
request through Okta and compares; `calls` reads the System Log; `observations` keeps what
Okta did as evidence. Import the module you need: this package imports nothing itself, so a
command that never talks to an org never loads httpx for it.
"""
