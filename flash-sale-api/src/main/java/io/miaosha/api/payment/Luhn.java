package io.miaosha.api.payment;

/** The check digit every card number carries; a typo fails it before any provider is asked. */
final class Luhn {

    private Luhn() {
    }

    static boolean valid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
