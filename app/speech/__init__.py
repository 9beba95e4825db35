"""Reading speech: the tone reader for synthesised clips and, later, for learners."""
