"""The bare programs each path is compared with."""
