"""The customer's side: departments, contacts, the org chart and our coverage of it."""
