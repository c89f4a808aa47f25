"""Synthetic Modernist Literature using an LSTM RNN, and the 9-line network."""
