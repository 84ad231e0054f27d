"""The visitor forms — callback, alert, report — as both the site and the service render them:
their fields, French labels, honeypot and HTML. The site puts them on its pages; the service
shows them again with the visitor's values and errors."""
