"""HTTP plumbing every endpoint shares: the intake pipeline of the POSTs, the abuse limits,
the French error pages, the site shell the service renders its pages in."""
