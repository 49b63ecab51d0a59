-- Chapter 10's favorites and cart (the book's databases `favorites` and `cart`, here two tables of the lab's
-- database), with the book's rows.
CREATE TABLE IF NOT EXISTS user_favorite (
  user_id    INT NOT NULL,
  product_id INT NOT NULL,
  PRIMARY KEY (user_id, product_id)
);

CREATE TABLE IF NOT EXISTS user_cart (
  user_id    INT NOT NULL,
  product_id INT NOT NULL,
  PRIMARY KEY (user_id, product_id)
);

INSERT INTO user_favorite (user_id, product_id) VALUES (1, 1), (1, 2), (1, 3), (3, 1), (3, 2), (3, 3)
  ON CONFLICT DO NOTHING;

INSERT INTO user_cart (user_id, product_id) VALUES (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 5)
  ON CONFLICT DO NOTHING;
