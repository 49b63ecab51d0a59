CREATE TABLE migrations_probe (note TEXT NOT NULL);
