"""VCFS directory of organisations (Open Referral model)."""
