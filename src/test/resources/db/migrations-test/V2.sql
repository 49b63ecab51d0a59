INSERT INTO migrations_probe (note) VALUES ('from V2');
