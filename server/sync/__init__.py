"""The center's side of the province hub: the log of what changed and the sender."""
