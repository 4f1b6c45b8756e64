"""Municipal finance (市财政) payment system simulator."""
