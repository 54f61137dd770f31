pytest_plugins = ["forum_shared.testing"]
