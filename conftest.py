pytest_plugins = ["forum_shared.testing", "forum_shared.browser_testing"]
