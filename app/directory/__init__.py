"""Companies' own directories: sign-in settings, LDAP sign-in, just-in-time accounts, sync.

- `settings`: the per-company configuration the zone admin edits (secrets encrypted, `secrets`)
- `ldap`: binding and reading people through ldap3 (no Flask; the caller passes the settings)
- `jit`: a person signed in by their directory becomes or updates an account
"""
