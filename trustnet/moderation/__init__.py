"""Members' side of moderation: reports, the suspension page, vouches for suspended members,
appeals."""
