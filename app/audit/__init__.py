"""The audit record: who changed what, when, before and after."""
