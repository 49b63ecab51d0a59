/**
 * Chapter 10's backend services, the {@code shop}: products, inventory, favorites and cart, each a verticle
 * that answers on the event bus ({@code shop.products}, ...) and over HTTP with the book's URL shapes on four
 * consecutive ports from {@code bff_services_port}, so that the book's own backend-for-frontend (or the lab's,
 * {@code org.concurrencylab.bff}) works against them unchanged. Faults (slow or failing requests) can be
 * switched on at run time over the bus ({@code shop.faults}) or the admin route {@code /shop/faults}.
 */
package org.concurrencylab.bff.shop;
