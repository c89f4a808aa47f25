""""2 + 2 with neural networks": tiny sigmoid networks that try to add two numbers."""
