"""Meetings service: the monthly open forum that moves around the county, and pop-up forums."""
