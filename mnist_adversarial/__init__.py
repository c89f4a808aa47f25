""""My artificial neural networks are not human": MNIST networks fooled by images no human would call digits."""
