// Registers `expect(element).toBeAccessible()` (axe-core via @sa11y/jest) for the LWC jest tests.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
