"""Who someone is: principals and roles, sign-in accounts, passwords, browser sessions and API
tokens. Framework-free apart from the database: the web layer (`forum_shared.ui`) builds on it."""
