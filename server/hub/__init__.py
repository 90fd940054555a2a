"""The province hub's domain over PostgreSQL: its store and schema, its accounts, the centers
it hears from, the facts they send, and the province's figures computed from them."""
