"""Signposting service: a directory of community groups and services, and the need it reveals."""
