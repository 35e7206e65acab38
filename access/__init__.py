"""Who may look at what, and what they did: accounts, password checks, the session cookie, the
sign-in throttle and the audit trail (docs/access.md). Pure Python, no streamlit import:
ui/auth.py draws the sign-in page from these; access.web holds the HTTP routes that set the cookie.

    accounts.py   the accounts file, roles, communes, each account's session version
    passwords.py  argon2id checks and the sign-in attempt (throttle, audit)
    throttle.py   repeated wrong passwords slow the next attempts down
    cookie.py     the signed session cookie, its keys and rotation, sign-in tickets, `next` paths
    web.py        POST /api/session and /api/sign-out (Starlette routes for st.App)
    audit.py      the audit trail (SQLite beside the warehouse)
    CLI           python -m access hash | check | key
"""
