package dev.kompact.executor.cloud;

/** The cloud will not route a pod's address to the instance asked for; the message names the address, the instances and why. */
public final class AddressRefusedException extends RuntimeException {

    public AddressRefusedException(String message) {
        super(message);
    }
}
