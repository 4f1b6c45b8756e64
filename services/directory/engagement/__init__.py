"""The platform's services to experts: policy notices (R-PLATFORM (2)), award nominations (R-AWARD), consultations
(R-PLATFORM (5)), the working-and-living guide and adaptation courses (R-SETTLE)."""
