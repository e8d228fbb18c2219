// The provider object of every RotatingApiKey, as this module's exports (see ../delegate.ts).
import { delegateModule } from "../delegate";

export = delegateModule("RotatingApiKey");
