"""The member's own corner: the "me" page and their notifications."""
