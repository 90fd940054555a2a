"""Storage: the SQLite file, its connections and write transactions (which carry the events
of what they changed), the schema's migrations, and online backups. Knows no domain."""
