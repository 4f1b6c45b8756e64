"""School placement (R-SCHOOL, Art. 10(4)): requests for the expert's children, coordinated by the bureau."""
