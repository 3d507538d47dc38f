"""matplotlib figures, one module per stage, built without pyplot (see ``figures.style``)."""
