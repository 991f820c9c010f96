"""A member's own account: export their data, leave."""
