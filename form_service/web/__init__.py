"""What every HTTP endpoint of the service shares: the intake pipeline of its POSTs."""
