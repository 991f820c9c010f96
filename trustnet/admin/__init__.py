"""The admin side: moderation pages, guarded as a whole, and the operators' commands."""
