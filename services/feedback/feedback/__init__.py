"""Feedback service: views gathered across the county, triaged, escalated to governors, answered."""
