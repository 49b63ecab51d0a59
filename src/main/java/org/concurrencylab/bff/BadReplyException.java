package org.concurrencylab.bff;

/** A service answered, but not with the book's JSON: garbage, the wrong shape, or a status other than 200. */
final class BadReplyException extends RuntimeException {

  BadReplyException(String message) {
    super(message, null, false, false);
  }
}
