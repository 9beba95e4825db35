"""HR people: employees, departments, the staff import and invitations."""
