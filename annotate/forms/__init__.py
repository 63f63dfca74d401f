"""Forms, by area (the same areas as views/ and services/): shape checks only; the rules
live in annotate/services/. base holds BaseForm and add_service_error, shared by all."""
