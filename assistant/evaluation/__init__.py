"""Measuring the product: question-set metrics (eval) and the synthetic-corpus benchmark (bench)."""
