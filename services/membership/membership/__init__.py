"""Membership service: members, partner organisations, involvement roles and time given."""
