-- One database per service: they share no tables, only events.
CREATE DATABASE membership;
CREATE DATABASE meetings;
CREATE DATABASE feedback;
CREATE DATABASE signposting;
